import { closest, distance } from "fastest-levenshtein";

/** The candidate closest to `word` if it is a plausible typo of it (edit distance <= max(2, 1/3 of the length)). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
    if (candidates.length === 0) return undefined;
    const best = closest(word, [...candidates]);
    const limit = Math.max(2, Math.floor(word.length / 3));
    return distance(word.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

/** "did you mean X? " (when one is close) followed by the list of valid names. */
export function suggestion(word: string, candidates: readonly string[], listLabel: string): string {
    const best = didYouMean(word, candidates);
    const hint = best === undefined ? "" : `did you mean ${best}? `;
    return `${hint}${listLabel}: ${candidates.join(", ")}`;
}
