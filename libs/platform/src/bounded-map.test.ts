import { setBounded } from './bounded-map';

describe('setBounded', () => {
  test('when a new key is set in a full map, then the oldest entry goes and the new one is last', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    setBounded(map, 'c', 3, 2);
    expect([...map]).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
  });

  test('when a key already held is set again, then it moves last with its new value and nothing else goes', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    setBounded(map, 'a', 10, 2);
    expect([...map]).toEqual([
      ['b', 2],
      ['a', 10],
    ]);
  });

  test('when the map holds more than the bound already, then it is brought down to it', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    setBounded(map, 'd', 4, 2);
    expect([...map.keys()]).toEqual(['c', 'd']);
  });
});
