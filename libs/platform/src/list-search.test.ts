import { escapeRegex, matchesSearch, searchClause, searchedNames } from './list-search';

const contains = (text: string) => ({ $regex: text, $options: 'i' });

describe('searchClause', () => {
  test('when there is no search text, then there is no clause', () => {
    expect(searchClause({}, ['name'])).toBeNull();
    expect(searchClause({ search: '', searchFields: ['name'] }, ['name'])).toBeNull();
  });

  test('when a search is given without q_f, then every field is searched case-insensitively', () => {
    expect(searchClause({ search: 'acme' }, ['name', 'email'])).toEqual({
      $or: [{ name: contains('acme') }, { email: contains('acme') }],
    });
  });

  test('when q_f names some fields, then only those are searched, unknown names ignored', () => {
    expect(
      searchClause({ search: 'x', searchFields: ['email', 'password'] }, ['name', 'email']),
    ).toEqual({ $or: [{ email: contains('x') }] });
  });

  test('when q_f names no searchable field, then every field is searched', () => {
    expect(searchClause({ search: 'x', searchFields: ['nope'] }, ['name', 'email'])).toEqual({
      $or: [{ name: contains('x') }, { email: contains('x') }],
    });
  });

  test('when public names differ from the stored fields, then q_f uses the public name and the clause the stored field', () => {
    expect(
      searchClause(
        { search: 'inv', searchFields: ['invoice_master_id'] },
        { id: '_id', invoice_master_id: 'invoice_id' },
      ),
    ).toEqual({ $or: [{ invoice_id: contains('inv') }] });
  });

  test('when extras are given, then their conditions join the fields and q_f can choose them', () => {
    const byName = { customer_id: { $in: ['cus_1'] } };
    expect(searchClause({ search: 'al' }, ['remarks'], { customer_name: byName })).toEqual({
      $or: [{ remarks: contains('al') }, byName],
    });
    expect(
      searchClause({ search: 'al', searchFields: ['customer_name'] }, ['remarks'], {
        customer_name: byName,
      }),
    ).toEqual({ $or: [byName] });
  });

  test('when the text has regular-expression characters, then they are matched literally', () => {
    expect(searchClause({ search: 'a.b*(c)' }, ['name'])).toEqual({
      $or: [{ name: contains('a\\.b\\*\\(c\\)') }],
    });
    expect(new RegExp(escapeRegex('1+1=[2]?$')).test('is 1+1=[2]?$ true')).toBe(true);
    expect(new RegExp(escapeRegex('a.c')).test('abc')).toBe(false);
  });
});

describe('searchedNames', () => {
  test('when q_f is absent, names part of it or none, then the searched names follow', () => {
    expect(searchedNames({}, ['a', 'b'])).toEqual([]);
    expect(searchedNames({ search: 't' }, ['a', 'b'])).toEqual(['a', 'b']);
    expect(searchedNames({ search: 't', searchFields: ['b', 'z'] }, ['a', 'b'])).toEqual(['b']);
    expect(searchedNames({ search: 't', searchFields: ['z'] }, ['a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('matchesSearch', () => {
  const line = { invoice_number: 'INV-000042', remarks: 'Fiber (Dhaka)', status: null };

  test('when there is no search, then everything matches', () => {
    expect(matchesSearch({}, line)).toBe(true);
  });

  test('when a value contains the text in another case, then it matches; when none does, not', () => {
    expect(matchesSearch({ search: 'inv-0000' }, line)).toBe(true);
    expect(matchesSearch({ search: '(dhaka)' }, line)).toBe(true);
    expect(matchesSearch({ search: 'paid' }, line)).toBe(false);
  });

  test('when q_f names a field, then only that field is read', () => {
    expect(matchesSearch({ search: 'fiber', searchFields: ['invoice_number'] }, line)).toBe(false);
    expect(matchesSearch({ search: 'fiber', searchFields: ['remarks'] }, line)).toBe(true);
  });
});
