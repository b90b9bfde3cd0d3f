/**
 * A list on an answer card that may be long (people who launched nothing, apps nobody
 * launched, Premium holders): the first few named, the rest counted, so a tenant of
 * thousands still gives a card of a screen.
 */

/** How many of a list a card names. */
export const NAMED = 10;

/** The first NAMED under the list's title ("People, the first 10 of 23"), or no title when the list is empty. */
export function namedList(all: readonly string[], title: string): { itemsTitle: string; items: string[] } {
  return { itemsTitle: all.length > NAMED ? `${title}, the first ${NAMED} of ${all.length}` : all.length ? title : '', items: all.slice(0, NAMED) };
}

/** A person as lists name them: "Jane Doe (jane@contoso.com)", or the address alone. */
export function personNamed(u: { displayName?: string; userPrincipalName: string }): string {
  return u.displayName ? `${u.displayName} (${u.userPrincipalName})` : u.userPrincipalName;
}
