/**
 * Which paths the file readers of the CLI and the hosts accept as input (the CSV imports, SPEC.md
 * k.2; `history compare` baselines): a regular file, or a pipe, such as a shell's process
 * substitution `<(cat prices.csv)`, which reads to its end like a file. A device (`/dev/zero` never
 * ends, and reading it ran out of memory) or a socket is refused before anything is read.
 */
import { statSync, type Stats } from 'node:fs';

/** Whether `path` is a pipe (a process substitution is one), whose own name (`63` of /dev/fd/63) says nothing. */
export function isPipe(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFIFO() === true;
}

/**
 * Why `path` cannot be read as an input file because of what it is, in words for the user; null
 * for a regular file, a pipe, a folder or a missing path (each reader words those as before).
 */
export function specialFileProblem(path: string): string | null {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? specialKindProblem(path, s) : null;
}

/** specialFileProblem for a path already stat'ed (`stats`), named `name` in the words. */
export function specialKindProblem(name: string, stats: Stats): string | null {
  if (stats.isFile() || stats.isFIFO() || stats.isDirectory()) return null;
  return `${name} is not a regular file (a device or a socket, which may never end); give a file`;
}
