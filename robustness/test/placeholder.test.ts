import { Server } from '@switchyard/core';
import { expect, it } from 'vitest';

it('the package builds against core', () => {
  expect(typeof Server).toBe('function');
});
