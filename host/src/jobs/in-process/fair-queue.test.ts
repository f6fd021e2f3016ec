import { FairQueue } from './fair-queue';

const job = (owner: string, n: number) => ({ id: `${owner}${n}`, owner });

describe('FairQueue', () => {
  it('alternates between clients, whatever order their jobs arrived in', () => {
    const queue = new FairQueue<{ id: string; owner: string }>();
    for (const item of [job('a', 1), job('a', 2), job('a', 3), job('b', 1), job('c', 1), job('b', 2)]) queue.push(item);
    expect(queue.order().map((j) => j.id)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    const served = [];
    while (queue.size) served.push(queue.next()!.id);
    expect(served).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('remembers who was served last, so a newcomer goes before the client just served', () => {
    const queue = new FairQueue<{ id: string; owner: string }>();
    queue.push(job('a', 1));
    expect(queue.next()!.id).toBe('a1');
    queue.push(job('a', 2));
    queue.push(job('b', 1));
    expect(queue.order().map((j) => j.id)).toEqual(['b1', 'a2']);
  });

  it('removes a waiting job and reports the order without it', () => {
    const queue = new FairQueue<{ id: string; owner: string }>();
    for (const item of [job('a', 1), job('b', 1), job('a', 2)]) queue.push(item);
    expect(queue.remove('b1')?.id).toBe('b1');
    expect(queue.remove('zz')).toBeUndefined();
    expect(queue.order().map((j) => j.id)).toEqual(['a1', 'a2']);
    expect(queue.drain().map((j) => j.id)).toEqual(['a1', 'a2']);
    expect(queue.size).toBe(0);
  });
});
