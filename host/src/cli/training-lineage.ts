import { readCard } from '@fluxir/core';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Records in the card of weights trained on from earlier ones (`fluxir train --from`) what they
 * continued: the earlier card's stage, steps, time and training curve, nested as far back as it goes,
 * so the card still tells the whole training. Only `card.json` changes (it is not among the hashed files).
 */
export function recordContinuation(outDir: string, fromDir: string): void {
  const from = readCard(fromDir);
  const file = path.join(outDir, 'card.json');
  const card = JSON.parse(readFileSync(file, 'utf8')) as { results: Record<string, unknown> };
  card.results.continuedFrom = {
    weights: fromDir,
    stage: from.stage,
    steps: from.training.steps,
    seconds: from.training.seconds,
    trainingCurve: from.results.trainingCurve,
    ...(from.results.continuedFrom ? { continuedFrom: from.results.continuedFrom } : {}),
  };
  writeFileSync(file, JSON.stringify(card, null, 1));
}
