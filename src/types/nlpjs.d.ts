/** The parts of NLP.js (which ships no types) that understanding.ts uses. */
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    /** A registered part by name: each language plugin uses its stemmer as "stemmer-<locale>" (@nlpjs/lang-en-min src/lang-en.js, container.js get). */
    get(name: string): unknown;
  }
  export function containerBootstrap(): Promise<Container>;
}

declare module '@nlpjs/nlu' {
  export interface NluResult {
    locale: string;
    intent: string;
    score: number;
    classifications: { intent: string; score: number }[];
  }
  /** One classifier per language, and a guess of the language when none is given (README of @nlpjs/nlu, "NluManager"). */
  export class NluManager {
    constructor(settings: Record<string, unknown>);
    add(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(utterance: string): Promise<NluResult>;
    process(locale: string, utterance: string): Promise<NluResult>;
    /** The locale of a text among the manager's, or undefined for an empty one (nlu-manager.js guessLanguage, synchronous; process() classifies in it when no locale is given). */
    guessLanguage(utterance: string): string | undefined;
  }
  export const NluNeural: unknown;
}

declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
declare module '@nlpjs/lang-de' {
  export const LangDe: unknown;
}
declare module '@nlpjs/lang-fr' {
  export const LangFr: unknown;
}
