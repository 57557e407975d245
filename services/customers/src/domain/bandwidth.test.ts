import { groupByBandwidthType } from './bandwidth';

describe('bandwidth grouping', () => {
  test("when rows of several types are grouped, then every seed type is a key in the seed's order, rows kept in order", () => {
    const rows = [
      { id: 1, bandwidth_type: 'ipt' as const },
      { id: 2, bandwidth_type: 'gcc' as const },
      { id: 3, bandwidth_type: 'cdn' as const },
      { id: 4, bandwidth_type: 'ipt' as const },
      { id: 5, bandwidth_type: null },
    ];
    const grouped = groupByBandwidthType(rows);
    expect(Object.keys(grouped)).toEqual(['ipt', 'gcc', 'cdn', 'nix', 'baishan', 'other']);
    expect(grouped).toEqual({
      ipt: [rows[0], rows[3]],
      gcc: [rows[1]],
      cdn: [rows[2]],
      nix: [],
      baishan: [],
      other: [],
    });
  });

  test('when there are no rows, then every group is empty', () => {
    expect(groupByBandwidthType([])).toEqual({
      ipt: [],
      gcc: [],
      cdn: [],
      nix: [],
      baishan: [],
      other: [],
    });
  });
});
