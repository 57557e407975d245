import { imageHeader } from './image-header';

/** A PNG's signature and IHDR chunk (no pixel data: the header is all that is read). */
function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(ihdr, 0);
  ihdr.writeUInt32BE(13, 8);
  ihdr.write('IHDR', 12, 'latin1');
  ihdr.writeUInt32BE(width, 16);
  ihdr.writeUInt32BE(height, 20);
  return ihdr;
}

/** SOI, an APP0 segment, then a baseline frame header (SOF0) of the size given. */
function jpeg(width: number, height: number, frameMarker = 0xc0): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46];
  const sof = [
    0xff,
    frameMarker,
    0x00,
    0x0b,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x01,
  ];
  return Buffer.from([0xff, 0xd8, ...app0, ...sof, 0x11, 0x00]);
}

describe('imageHeader', () => {
  test('when the bytes are a PNG, then its type and IHDR size are read', () => {
    expect(imageHeader(png(640, 200))).toEqual({
      content_type: 'image/png',
      width: 640,
      height: 200,
    });
  });

  test('when the bytes are a JPEG, then the size of its first frame header is read past other segments', () => {
    expect(imageHeader(jpeg(1024, 768))).toEqual({
      content_type: 'image/jpeg',
      width: 1024,
      height: 768,
    });
    // a progressive frame (SOF2) carries the size the same way
    expect(imageHeader(jpeg(300, 90, 0xc2))).toEqual({
      content_type: 'image/jpeg',
      width: 300,
      height: 90,
    });
  });

  test('when the bytes are neither, or a header is cut short, then nothing is read', () => {
    expect(imageHeader(Buffer.from('GIF89a......'))).toBeNull();
    expect(imageHeader(png(10, 10).subarray(0, 20))).toBeNull();
    expect(imageHeader(jpeg(10, 10).subarray(0, 12))).toBeNull();
    // a JPEG whose scan starts before any frame header
    expect(imageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toBeNull();
    expect(imageHeader(Buffer.alloc(0))).toBeNull();
  });
});
