/**
 * What a restore did before its copy, in the words `batchdesk backup restore` and the app's Data
 * screen both show: the files a killed restore had left beside the database, removed (j.3).
 */
export function removedLeftoversText(files: readonly string[]): string {
  return `removed ${files.length} file${files.length === 1 ? '' : 's'} a killed restore left beside the database: ${files.join(', ')}`;
}
