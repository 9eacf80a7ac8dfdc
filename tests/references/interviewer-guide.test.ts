import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIMENSION_NAMES, DimensionId } from '../../src/evaluator/dimensions.ts';
import { Recommendation } from '../../src/evaluator/scorecard.ts';
import { PHASE_BUDGETS, PHASE_ORDER } from '../../src/interview/phases.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';

const GUIDE = readFileSync(join(PROJECT_ROOT, 'references', 'interviewer-guide.md'), 'utf8');
const LINES = GUIDE.split('\n');

/** The lines under a heading, up to the next heading of the same or a higher level. */
function section(heading: string): string[] {
  const start = LINES.indexOf(heading);
  if (start === -1) throw new Error(`the guide has no heading "${heading}"`);
  const level = heading.match(/^#+/)?.[0].length ?? 0;
  const end = LINES.findIndex((line, index) => index > start && /^#+ /.test(line) && (line.match(/^#+/)?.[0].length ?? 0) <= level);
  return LINES.slice(start + 1, end === -1 ? undefined : end);
}

function headingsOf(level: number): string[] {
  return LINES.filter((line) => line.startsWith(`${'#'.repeat(level)} `));
}

describe('the interviewer guide: rubric dimensions', () => {
  it.each(DimensionId.options)('has a "### Name (id)" heading for %s, exactly once', (id) => {
    const heading = `### ${DIMENSION_NAMES[id]} (${id})`;
    expect(LINES.filter((line) => line === heading)).toHaveLength(1);
  });

  it.each(DimensionId.options)('rates %s with Exceeds, Meets and Below bullets, in that order', (id) => {
    const bullets = section(`### ${DIMENSION_NAMES[id]} (${id})`).filter((line) => /^- \*\*(Exceeds|Meets|Below)\*\*: \S/.test(line));
    expect(bullets.map((line) => line.match(/\*\*(\w+)\*\*/)?.[1])).toEqual(['Exceeds', 'Meets', 'Below']);
    for (const bullet of bullets) expect(bullet.length, bullet).toBeGreaterThan(80);
  });

  it('has no rubric heading for a dimension the code does not know', () => {
    const rubricHeadings = section('## The rubric').filter((line) => line.startsWith('### '));
    expect(rubricHeadings).toEqual(DimensionId.options.map((id) => `### ${DIMENSION_NAMES[id]} (${id})`));
  });
});

describe('the interviewer guide: phases', () => {
  const phaseHeadings = section('## The five phases').filter((line) => line.startsWith('### '));

  it('has the five phase headings in order', () => {
    expect(phaseHeadings.map((line) => line.replace(/ \(.*\)$/, ''))).toEqual([
      '### Phase 1: Problem Exploration',
      '### Phase 2: High-Level Design',
      '### Phase 3: Deep Dive',
      '### Phase 4: Trade-offs and Alternatives',
      '### Phase 5: Wrap-Up',
    ]);
    expect(phaseHeadings).toHaveLength(PHASE_ORDER.length);
  });

  it('gives each phase the timing the phase machine uses', () => {
    phaseHeadings.forEach((heading, index) => {
      const phase = PHASE_ORDER[index];
      if (!phase) throw new Error(`no phase ${index}`);
      const timing = heading.match(/\((\d+)(?:-(\d+))? min\)$/);
      expect(timing, heading).not.toBeNull();
      const [lower, upper] = [Number(timing?.[1]), timing?.[2] === undefined ? undefined : Number(timing[2])];
      expect(PHASE_BUDGETS[phase].softMinutes, phase).toBe(lower);
      if (upper !== undefined) expect(PHASE_BUDGETS[phase].hardMinutes, phase).toBe(upper);
      else expect(PHASE_BUDGETS[phase].hardMinutes, phase).toBeGreaterThanOrEqual(lower);
    });
  });

  it('describes each phase with timing, objectives, questions, transition cues, signals and red flags', () => {
    for (const heading of phaseHeadings) {
      const body = section(heading).join('\n');
      for (const part of ['**Timing**', '**Objectives**', '**What to ask**', '**Leaving ambiguity**', '**Transition cues**', '**Strong signals**', '**Red flags**']) {
        expect(body, `${heading}: ${part}`).toContain(part);
      }
    }
  });
});

describe('the interviewer guide: recommendation rule', () => {
  it('has the rule section, with the five conditions in the order the code applies them', () => {
    expect(headingsOf(2)).toContain('## From ratings to a recommendation');
    const rules = section('## From ratings to a recommendation').filter((line) => /^\d+\. /.test(line));
    expect(rules.map((line) => line.match(/^\d+\. `(\w+)`/)?.[1])).toEqual(['insufficient', 'strong_no_hire', 'strong_hire', 'hire', 'no_hire']);
    expect(new Set(rules.map((line) => line.match(/`(\w+)`/)?.[1]))).toEqual(new Set(Recommendation.options));
  });

  it('states that the recommendation is advice and a person decides', () => {
    const body = section('## From ratings to a recommendation').join('\n');
    expect(body).toContain('first one that matches is the recommendation');
    expect(body).toContain('never a decision');
  });
});
