import { createHash } from 'node:crypto';
import { deterministicId, digestOf, newId } from './ids';

describe('ids', () => {
  test('when an id is derived twice from the same parts, then it is the same id', () => {
    const id = deterministicId('pay', ['ten_a', 'key-1']);
    expect(id).toBe(deterministicId('pay', ['ten_a', 'key-1']));
    expect(id).not.toBe(deterministicId('pay', ['ten_b', 'key-1']));
    expect(id).toMatch(/^pay_[0-9a-f]{24}$/);
  });

  test('when parts are hashed, then they are joined by a newline unless told otherwise', () => {
    const hex = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(digestOf(['ten_a', 'key-1'])).toBe(hex('ten_a\nkey-1').slice(0, 24));
    expect(digestOf(['ten_a', 'src'], { separator: '|' })).toBe(hex('ten_a|src').slice(0, 24));
    expect(digestOf(['a'], { length: 32 })).toHaveLength(32);
    expect(digestOf(['a'], { encoding: 'base64url', length: 22 })).toBe(
      createHash('sha256').update('a').digest('base64url').slice(0, 22),
    );
  });

  test('when a new id is made, then it carries its prefix and 16 random url-safe characters', () => {
    expect(newId('inv')).toMatch(/^inv_[A-Za-z0-9_-]{16}$/);
    expect(newId('inv')).not.toBe(newId('inv'));
  });
});
