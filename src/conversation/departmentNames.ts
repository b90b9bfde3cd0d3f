/**
 * The usual names of a department in the languages PassLens reads (English, German,
 * French), folded (lower case, no accents). An environment named after a department is
 * named by the others too: "RH" or "Personalabteilung" for "Contoso HR", "Vertrieb" for
 * "Sales". A German noun that is also an everyday English word counts only with its
 * capital ("Personal", never "personal"), and never makes a name a department's
 * ("Personal Productivity" is no HR).
 */
export interface DepartmentName {
  words: string[];
  needsCapital: boolean;
}

const DEPARTMENTS: readonly string[] = [
  'hr | human resources | rh | ressources humaines | personalabteilung | personalwesen | ^personal',
  'sales | vertrieb | verkauf | ventes',
  'finance | finanzen | finances',
  'accounting | buchhaltung | comptabilite',
  'operations | ops | betrieb | exploitation',
  'legal | rechtsabteilung | juridique',
  'purchasing | procurement | einkauf | achats',
  'customer service | kundendienst | kundenservice | service client',
  'field service | aussendienst | außendienst | service terrain',
];

const TABLE: DepartmentName[][] = DEPARTMENTS.map((line) =>
  line.split('|').map((form) => ({ words: form.trim().replace(/^\^/, '').split(' '), needsCapital: form.trim().startsWith('^') })),
);

/** The other names of each department a name's words hold ("contoso hr managed": human resources, rh, ...). */
export function departmentNames(nameWords: readonly string[]): DepartmentName[] {
  const has = (words: string[]) => nameWords.some((_, i) => words.every((w, j) => nameWords[i + j] === w));
  return TABLE.filter((forms) => forms.some((f) => !f.needsCapital && has(f.words))).flatMap((forms) => forms.filter((f) => !has(f.words)));
}
