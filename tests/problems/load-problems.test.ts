import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { InvalidFileError } from '../../src/errors.ts';
import { loadProblemBank, loadProblemFile } from '../../src/problems/load-problems.ts';
import { ProblemCard, publicView } from '../../src/problems/problem-card.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';

const BANK_DIR = join(PROJECT_ROOT, 'references', 'problems');
const FRAUD_YAML = readFileSync(join(BANK_DIR, 'fraud-detection.yaml'), 'utf8');
const temporaryDirs: string[] = [];

function temporaryDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'mlsd-problems-'));
  temporaryDirs.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of temporaryDirs.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Writes the fraud card, changed by `edit`, as `<name>.yaml` in a fresh folder, and returns its path. */
function editedCard(edit: (card: Record<string, unknown>) => void, name = 'fraud-detection'): string {
  const card = parseYaml(FRAUD_YAML) as Record<string, unknown>;
  edit(card);
  const path = join(temporaryDir(), `${name}.yaml`);
  writeFileSync(path, stringifyYaml(card));
  return path;
}

function loadError(path: string): InvalidFileError {
  try {
    loadProblemFile(path);
  } catch (error) {
    if (error instanceof InvalidFileError) return error;
    throw error;
  }
  throw new Error(`${path} loaded`);
}

describe('the problem bank', () => {
  const bank = loadProblemBank(BANK_DIR);

  it('loads all eight problems, sorted by id', () => {
    expect([...bank.keys()]).toEqual([
      'ads-ctr-prediction',
      'content-moderation',
      'eta-prediction',
      'feed-recommendations',
      'fraud-detection',
      'metric-anomaly-detection',
      'search-ranking',
      'support-assistant',
    ]);
  });

  it.each([...bank.values()].map((card) => [card.id, card] as const))('%s follows the guide: a short opening with no numbers and facts of every core category', (_id, card) => {
    expect(card.opening).not.toMatch(/\d/);
    for (const category of ['scale', 'latency', 'labels', 'data', 'business', 'constraints']) expect(card.facts.some((fact) => fact.category === category), category).toBe(true);
    expect(new Set(card.facts.map((fact) => fact.id)).size).toBe(card.facts.length);
    // The opening reveals no hidden answer.
    for (const fact of card.facts) expect(card.opening).not.toContain(fact.answer);
    expect(publicView(card)).toEqual({ id: card.id, title: card.title, opening: card.opening });
  });
});

describe('loadProblemFile errors', () => {
  it('names the file and where the YAML breaks when it is malformed', () => {
    const path = join(temporaryDir(), 'fraud-detection.yaml');
    writeFileSync(path, FRAUD_YAML.replace(/^title: .*$/m, 'title: [Real-time card payment fraud detection'));
    const error = loadError(path);
    expect(error.code).toBe('file_invalid');
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path}: not valid YAML: `)).toBe(true);
    expect(error.message).toContain('title: [Real-time');
    expect(error.message).toMatch(/line \d+, column \d+/);
  });

  it('names the file and the duplicated key', () => {
    const path = join(temporaryDir(), 'fraud-detection.yaml');
    writeFileSync(path, `${FRAUD_YAML}\ntitle: Another title\n`);
    const error = loadError(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain('Map keys must be unique');
    expect(error.message).toContain('title: Another title');
  });

  it.each(['title', 'opening', 'facts', 'deepDives', 'constraintChanges', 'wrapUp'])('names the file and the field when %s is missing', (field) => {
    const path = editedCard((card) => {
      delete card[field];
    });
    const error = loadError(path);
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${field}: `));
  });

  it('names the nested field that is wrong', () => {
    const path = editedCard((card) => {
      const facts = card.facts as Record<string, unknown>[];
      delete (facts[2] as Record<string, unknown>).answer;
    });
    expect(loadError(path).message).toContain(`${path}: facts.2.answer: `);
  });

  it('rejects an opening that contains digits, since numbers belong in hidden facts', () => {
    const path = editedCard((card) => {
      card.opening = 'We process 100 million card payments a day and want to stop fraud. Design the ML system.';
    });
    expect(loadError(path).message).toBe(`${path}: opening: the opening prompt must not contain numbers: they belong in hidden facts`);
  });

  it('rejects an opening longer than two sentences', () => {
    const path = editedCard((card) => {
      card.opening = 'We want to stop fraud. Payments matter to us. Design the ML system that does it.';
    });
    expect(loadError(path).message).toContain('opening: the opening prompt is one or two sentences');
  });

  it('rejects a card missing a core fact category', () => {
    const path = editedCard((card) => {
      card.facts = (card.facts as { category: string }[]).filter((fact) => fact.category !== 'latency');
    });
    expect(loadError(path).message).toContain('facts: no hidden fact of category "latency"');
  });

  it('rejects a repeated fact id, which would make reveal_fact ambiguous', () => {
    const path = editedCard((card) => {
      const facts = card.facts as { id: string }[];
      (facts[3] as { id: string }).id = (facts[0] as { id: string }).id;
    });
    expect(loadError(path).message).toContain(`facts.3.id: duplicate id "transaction-volume"`);
  });

  it('rejects repeated deep-dive and constraint-change ids', () => {
    const path = editedCard((card) => {
      const dives = card.deepDives as { id: string }[];
      (dives[1] as { id: string }).id = (dives[0] as { id: string }).id;
      const changes = card.constraintChanges as { id: string }[];
      (changes[1] as { id: string }).id = (changes[0] as { id: string }).id;
    });
    const message = loadError(path).message;
    expect(message).toContain('deepDives.1.id: duplicate id "label-strategy"');
    expect(message).toContain('constraintChanges.1.id: duplicate id "new-market-launch"');
  });

  it('rejects unknown fields, so a typo cannot silently drop data', () => {
    const path = editedCard((card) => {
      card.wrapup = ['A misspelt wrap-up prompt.'];
    });
    expect(loadError(path).message).toContain('wrapup');
  });

  it('requires the id to match the file name', () => {
    const path = editedCard(() => {}, 'fraud-copy');
    expect(loadError(path).message).toBe(`${path}: id: "fraud-detection" must match the file name "fraud-copy"`);
  });

  it('names a file that cannot be read', () => {
    const path = join(temporaryDir(), 'missing.yaml');
    expect(loadError(path).message).toMatch(new RegExp(`cannot be read: .*ENOENT`));
  });

  it('fails on a folder with no problem files, naming the folder', () => {
    const directory = temporaryDir();
    writeFileSync(join(directory, 'notes.txt'), 'not a problem');
    expect(() => loadProblemBank(directory)).toThrow(`${directory}: no problem files (*.yaml) found`);
  });

  it('fails the whole bank on one bad file, naming that file', () => {
    const directory = temporaryDir();
    writeFileSync(join(directory, 'fraud-detection.yaml'), FRAUD_YAML);
    writeFileSync(join(directory, 'broken.yaml'), 'id: broken\ntitle: Broken\n');
    expect(() => loadProblemBank(directory)).toThrow(join(directory, 'broken.yaml'));
  });
});

describe('ProblemCard schema', () => {
  it('accepts the fraud card as it is stored', () => {
    expect(ProblemCard.safeParse(parseYaml(FRAUD_YAML)).success).toBe(true);
  });

  it('requires kebab-case fact ids', () => {
    const card = parseYaml(FRAUD_YAML) as { facts: { id: string }[] };
    (card.facts[0] as { id: string }).id = 'Transaction Volume';
    const result = ProblemCard.safeParse(card);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['facts', 0, 'id'], message: 'fact ids are kebab-case' });
  });
});
