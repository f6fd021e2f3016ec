import type { TaskSpec } from '@fluxir/core';
import { InvalidArgumentError } from 'commander';
import { taskWeightsOption, weightedTasks } from './task-weights';

const spec = (id: string) => ({ id }) as unknown as TaskSpec;

describe('--task-weights', () => {
  it('parses id=weight pairs', () => {
    expect(taskWeightsOption('denoise=3, lowlight=2')).toEqual({ denoise: 3, lowlight: 2 });
  });

  it.each(['denoise', 'denoise=0', 'denoise=1.5', '=2', 'denoise=-1'])('refuses %s', (value) => {
    expect(() => taskWeightsOption(value)).toThrow(InvalidArgumentError);
  });

  it('repeats each task by its weight, in task order', () => {
    const tasks = weightedTasks(['deblur', 'denoise', 'lowlight'], { lowlight: 2, denoise: 3 }, spec);
    expect(tasks.map((t) => t.id)).toEqual(['deblur', 'denoise', 'denoise', 'denoise', 'lowlight', 'lowlight']);
  });

  it('refuses a weight for a task that is not trained', () => {
    expect(() => weightedTasks(['deblur'], { dehaze: 2 }, spec)).toThrow(/E_INVALID_PARAMETER|dehaze/);
  });
});
