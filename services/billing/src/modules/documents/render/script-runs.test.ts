import { scriptRuns } from './script-runs';

describe('scriptRuns', () => {
  test('when a line mixes scripts, then each run keeps its script and the spaces inside it', () => {
    expect(scriptRuns('Internet 20 Mbps (ইন্টারনেট)')).toEqual([
      { script: 'latin', text: 'Internet 20 Mbps (' },
      { script: 'bengali', text: 'ইন্টারনেট)' },
    ]);
    expect(scriptRuns('রহিম স্টোর')).toEqual([{ script: 'bengali', text: 'রহিম স্টোর' }]);
  });

  test('when a line starts with punctuation or is only spaces, then it joins the next run or stays Latin', () => {
    expect(scriptRuns('"রহিম"')).toEqual([{ script: 'bengali', text: '"রহিম"' }]);
    expect(scriptRuns('  ')).toEqual([{ script: 'latin', text: '  ' }]);
    expect(scriptRuns('')).toEqual([]);
  });

  test('when Bengali digits, dandas and joiners appear, then they stay in the Bengali run', () => {
    expect(scriptRuns('১২ মতিঝিল। ক্‍ষ')).toEqual([{ script: 'bengali', text: '১২ মতিঝিল। ক্‍ষ' }]);
  });
});
