/** Image I/O through sharp. Node only: nothing under common/ may import this. */
export * from './image-format';
export * from './read-image';
export * from './write-image';
export * from './read-mask';
