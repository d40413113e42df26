import { describe, expect, it } from 'vitest';
import { KernelInputError } from './errors.js';
import { rowOrder } from './rowOrder.js';

describe('rowOrder', () => {
  it('groups positions by id, ascending within an id (a stable sort)', () => {
    const ids = [4, 1, 4, 0, 1, 4];
    const { order, starts } = rowOrder(ids, 6);
    expect(Array.from(starts)).toEqual([0, 1, 3, 3, 3, 6, 6]);
    expect(Array.from(order)).toEqual([3, 1, 4, 0, 2, 5]);
    // the property: for every id v, order[starts[v] .. starts[v+1]) are exactly its positions, in order
    for (let v = 0; v < 6; v++) {
      expect(Array.from(order.slice(starts[v], starts[v + 1]))).toEqual(ids.flatMap((id, i) => (id === v ? [i] : [])));
    }
  });

  it('refuses an id outside the table, naming it and its position', () => {
    expect(() => rowOrder([0, 6], 6)).toThrow(KernelInputError);
    expect(() => rowOrder([0, -1], 6)).toThrow(/id -1 at position 1 is outside the embedding's 6 rows/);
  });
});
