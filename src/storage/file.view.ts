/** A stored file as clients see it (spec README §4). */
export interface FileRecord {
  node: string;
  mime: string;
  size: number;
  width: number;
  height: number;
}

export function fileUrl(publicUrl: string, node: string): string {
  return `${publicUrl}/api/v2/storage/${node}`;
}

export function toFileView(publicUrl: string, file: FileRecord) {
  return {
    url: fileUrl(publicUrl, file.node),
    vendor: 'local',
    mime: file.mime,
    size: file.size,
    dimension: { width: file.width, height: file.height },
    node: file.node,
  };
}
