import type * as z from 'zod/mini';

export interface DescribeOptions {
  /** How to name the whole document in a path, e.g. "(the flow)". */
  readonly whole: string;
  /** What the whole document must be, said when it is not an object at all. */
  readonly notAnObject: string;
}

/**
 * Turns zod issues into lines a person can act on: "path: what is wrong; how to fix it". zod/mini
 * ships no default messages, so an issue without a schema's own message says what was expected and
 * what was found; a misspelt key next to a missing one gets "did you mean" (docs/engineering.md habit 11).
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  options: DescribeOptions,
): string[] {
  const missingKeys = issues
    .filter(
      (issue) => issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(input, issue.path) === undefined,
    )
    .map((issue) => ({ parent: formatPath(issue.path.slice(0, -1)), key: String(issue.path.at(-1)) }));
  return issues.flatMap((issue) => {
    const path = formatPath(issue.path) || options.whole;
    if (issue.code === 'unrecognized_keys') {
      const here = formatPath(issue.path);
      return issue.keys.map((key) => {
        const meant = missingKeys.find((missing) => missing.parent === here && editDistance(missing.key, key) <= 2);
        return meant === undefined
          ? `${path}: unknown key "${key}"; check the spelling or remove it`
          : `${path}: unknown key "${key}"; did you mean "${meant.key}"?`;
      });
    }
    return [describeOne(issue, input, path, options)];
  });
}

function describeOne(issue: z.core.$ZodIssue, input: unknown, path: string, options: DescribeOptions): string {
  const own = issue.message.startsWith('Invalid input') ? undefined : issue.message;
  if (issue.code === 'invalid_type') {
    const value = valueAt(input, issue.path);
    if (issue.path.length === 0) return `${options.whole}: ${options.notAnObject}, not ${kindOf(value)}`;
    const expected = own ?? `expected ${EXPECTED[issue.expected] ?? issue.expected}`;
    if (value === undefined) return `${path}: missing; add it (${expected})`;
    return own === undefined ? `${path}: ${expected}, not ${kindOf(value)}` : `${path}: ${own}`;
  }
  if (own === undefined && issue.code === 'too_small') return `${path}: must be at least ${issue.minimum}`;
  if (own === undefined && issue.code === 'too_big') return `${path}: must be at most ${issue.maximum}`;
  return `${path}: ${issue.message}`;
}

/** `steps[2].options[0].label`, as a person reads a path in a JSON file. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

const EXPECTED: Readonly<Record<string, string>> = {
  object: 'an object',
  record: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return `${value}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/** Levenshtein distance, for "did you mean" on misspelt keys. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
