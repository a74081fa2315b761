/** A word of an advised command as a POSIX shell reads it back: single-quoted when it holds anything but plain path characters. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
