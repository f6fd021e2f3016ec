import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordContinuation } from './training-lineage';

function card(dir: string, steps: number, results: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'card.json'), JSON.stringify({ stage: 'flow-matching', training: { steps, seconds: steps * 2 }, results }));
}

describe('recordContinuation', () => {
  const root = mkdtempSync(join(tmpdir(), 'fluxir-lineage-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('nests the earlier cards, so the card of continued weights tells the whole training', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(root, n));
    card(a, 5600, { trainingCurve: [{ step: 5600 }] });
    card(b, 1600, { trainingCurve: [{ step: 1600 }] });
    recordContinuation(b, a);
    card(c, 1200, { trainingCurve: [{ step: 1200 }], other: 1 });
    recordContinuation(c, b);
    const results = (JSON.parse(readFileSync(join(c, 'card.json'), 'utf8')) as { results: Record<string, unknown> }).results;
    expect(results).toMatchObject({
      other: 1,
      trainingCurve: [{ step: 1200 }],
      continuedFrom: { weights: b, steps: 1600, seconds: 3200, trainingCurve: [{ step: 1600 }], continuedFrom: { weights: a, steps: 5600 } },
    });
  });

  it('refuses a starting folder without a card (E_WEIGHTS)', () => {
    expect(() => recordContinuation(join(root, 'a'), join(root, 'none'))).toThrow(/cannot read/);
  });
});
