import { refusedAddressReason } from './address-class';
import { urlShapeProblem } from './endpoints';

describe('webhook target addresses (SSRF)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['169.254.0.1', 'link-local (cloud metadata)'],
    ['0.0.0.0', 'unspecified (0.0.0.0/8)'],
    ['100.64.0.1', 'carrier-grade NAT (100.64.0.0/10)'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified (::)'],
    ['fc00::1', 'unique-local (fc00::/7)'],
    ['fd12:3456::1', 'unique-local (fc00::/7)'],
    ['fe80::1%eth0', 'link-local (fe80::/10)'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
    ['::ffff:a9fe:a9fe', 'link-local (cloud metadata)'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local (cloud metadata)'],
  ])('when the address is %s, then it is refused as %s', (address, reason) => {
    expect(refusedAddressReason(address)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '169.255.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ])('when the address is public (%s), then it is allowed', (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });

  it('when a URL is not https, carries credentials or is not a URL, then its shape is refused', () => {
    expect(urlShapeProblem('http://example.com/hook', false)).toBe('must be an https URL');
    expect(urlShapeProblem('http://example.com/hook', true)).toBeNull();
    expect(urlShapeProblem('ftp://example.com/', true)).toBe('must be an http or https URL');
    expect(urlShapeProblem('https://u:p@example.com/', false)).toBe(
      'must not carry a user name or password',
    );
    expect(urlShapeProblem('not a url', false)).toBe('not a valid URL');
    expect(urlShapeProblem('https://example.com/hooks?x=1', false)).toBeNull();
  });
});
