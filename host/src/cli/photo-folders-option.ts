import { InvalidArgumentError } from 'commander';

/** `--data a,b --data c`: every folder named, in order. */
export function photoFoldersOption(value: string, previous: string[] | undefined): string[] {
  const folders = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (folders.length === 0) throw new InvalidArgumentError('name at least one folder of photos');
  return [...(previous ?? []), ...folders];
}
