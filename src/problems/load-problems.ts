import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InvalidFileError, formatIssues } from '../errors.ts';
import { ProblemCard } from './problem-card.ts';

/** Reads and validates one problem card. A malformed file fails with its path and the field. */
export function loadProblemFile(path: string): ProblemCard {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof YAMLParseError) throw new InvalidFileError(path, `not valid YAML: ${error.message}`, { cause: error });
    throw new InvalidFileError(path, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = ProblemCard.safeParse(raw);
  if (!parsed.success) throw new InvalidFileError(path, formatIssues(parsed.error.issues));
  const expectedId = basename(path).replace(/\.ya?ml$/, '');
  if (parsed.data.id !== expectedId) throw new InvalidFileError(path, `id: "${parsed.data.id}" must match the file name "${expectedId}"`);
  return parsed.data;
}

/** Loads every `*.yaml` card in a folder, sorted by id. */
export function loadProblemBank(directory: string): ReadonlyMap<string, ProblemCard> {
  const files = readdirSync(directory)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  if (files.length === 0) throw new InvalidFileError(directory, 'no problem files (*.yaml) found');
  const bank = new Map<string, ProblemCard>();
  for (const file of files) {
    const card = loadProblemFile(join(directory, file));
    bank.set(card.id, card);
  }
  return bank;
}
