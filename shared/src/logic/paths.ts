/**
 * JSON paths into a rule, as LogicError.path reports them: `$`, `$.and[1].var`, `$["=="][0]`.
 * Built at compile time only; runtime closures capture the finished string.
 */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function keyPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
