/** English contractions typed without the apostrophe ("whats", "shouldnt"), none of them another word ("im" is German: not among them). */
const CONTRACTED = /\b(what|that|there|who|where|how|is|are|was|were|do|does|did|ca|could|should|would|have|has|had|wo|i|you|they|we)(s|nt|m|ve|re|ll)\b/gi;
const CONTRACTIONS = new Set('whats thats theres whos wheres hows isnt arent wasnt werent dont doesnt didnt cant couldnt shouldnt wouldnt havent hasnt hadnt wont ive youre youve youll theyre theyve weve'.split(' '));

/** The sentence without Teams' markup (the mention of the bot, HTML tags, entities), its contractions with their apostrophe. */
export function plainText(raw: string): string {
  // Markup and entities only where there is some: most typed sentences have none (a read's hot path).
  const marked = raw.includes('<')
    ? raw
        .replace(/<at>[^<]*<\/at>/gi, ' ')
        .replace(/<[^>]+>/g, ' ')
    : raw;
  const plain = marked.includes('&') ? marked.replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&') : marked;
  return plain
    .replace(/\s+/g, ' ')
    .replace(CONTRACTED, (word: string, stem: string, end: string) => (CONTRACTIONS.has(word.toLowerCase()) ? `${stem}${end.toLowerCase() === 'nt' ? 'n' : ''}'${end.toLowerCase() === 'nt' ? 't' : end}` : word))
    .trim();
}
