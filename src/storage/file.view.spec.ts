import { fileUrl, toFileView } from './file.view';

describe('file view', () => {
  it('is the file as clients see it: URL under the public address, dimension, node', () => {
    const file = { node: 'public:2024/01/01/abc.png', mime: 'image/png', size: 120, width: 3, height: 2 };
    expect(toFileView('https://u.example', file)).toEqual({
      url: 'https://u.example/api/v2/storage/public:2024/01/01/abc.png',
      vendor: 'local',
      mime: 'image/png',
      size: 120,
      dimension: { width: 3, height: 2 },
      node: 'public:2024/01/01/abc.png',
    });
    expect(fileUrl('http://h', 'n')).toBe('http://h/api/v2/storage/n');
  });
});
