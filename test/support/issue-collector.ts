/** An IssueSink that records what converters report (pg-import tests). */
import type { IssueCode, IssueSeverity, IssueSink } from '../../db/pg-import/value-issue';

export class IssueCollector implements IssueSink {
  readonly issues: { code: IssueCode; severity: IssueSeverity; raw: string; message: string }[] = [];
  issue(code: IssueCode, severity: IssueSeverity, raw: string, message: string): void {
    this.issues.push({ code, severity, raw, message });
  }
  get codes(): IssueCode[] {
    return this.issues.map((i) => i.code);
  }
}

/** Runs a converter on one text and returns the value and the issue codes. */
export function run<T>(conv: (text: string, sink: IssueSink) => T, text: string): { value: T; codes: IssueCode[] } {
  const c = new IssueCollector();
  const value = conv(text, c);
  return { value, codes: c.codes };
}
