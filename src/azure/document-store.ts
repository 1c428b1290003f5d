/**
 * A small JSON/text document store for what the automation keeps between runs: the private endpoint
 * inventory and the sweep reports. In Azure: blobs in a container (managed identity). Locally: files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';

export interface DocumentStore {
  /** Where documents go, for messages: a folder path or a container URL. */
  readonly location: string;
  read(name: string): Promise<string | undefined>;
  write(name: string, content: string, contentType?: string): Promise<string>;
  /** Writes a large document from its parts without joining them in memory (a file stream, a blob block upload). */
  writeParts?(name: string, parts: Iterable<string>, contentType?: string): Promise<string>;
}

/** Writes `parts` through the store's streaming write when it has one, else joined. */
export async function writeDocumentParts(store: DocumentStore, name: string, parts: string[], contentType?: string): Promise<string> {
  return store.writeParts ? store.writeParts(name, parts, contentType) : store.write(name, parts.join(''), contentType);
}

export class FileDocumentStore implements DocumentStore {
  constructor(readonly location: string) {}
  async read(name: string): Promise<string | undefined> {
    try {
      return await fs.readFile(path.join(this.location, name), 'utf8');
    } catch (e: any) {
      if (e?.code === 'ENOENT') return undefined;
      throw e;
    }
  }
  async write(name: string, content: string): Promise<string> {
    const file = path.join(this.location, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, content, 'utf8');
    await fs.rename(tmp, file);
    return file;
  }
  async writeParts(name: string, parts: Iterable<string>): Promise<string> {
    const file = path.join(this.location, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const handle = await fs.open(tmp, 'w');
    try {
      for (const part of parts) await handle.write(part, null, 'utf8');
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
    return file;
  }
}

export class MemoryDocumentStore implements DocumentStore {
  readonly location = 'memory:';
  readonly documents = new Map<string, string>();
  async read(name: string): Promise<string | undefined> {
    return this.documents.get(name);
  }
  async write(name: string, content: string): Promise<string> {
    this.documents.set(name, content);
    return `memory:${name}`;
  }
}

export class BlobDocumentStore implements DocumentStore {
  constructor(readonly location: string, private readonly credential: TokenCredential) {}
  private async container() {
    const { ContainerClient } = await import('@azure/storage-blob');
    return new ContainerClient(this.location, this.credential);
  }
  async read(name: string): Promise<string | undefined> {
    const blob = (await this.container()).getBlockBlobClient(name);
    try {
      const buffer = await blob.downloadToBuffer();
      return buffer.toString('utf8');
    } catch (e: any) {
      if (e?.statusCode === 404) return undefined;
      throw e;
    }
  }
  async write(name: string, content: string, contentType = 'application/json'): Promise<string> {
    const blob = (await this.container()).getBlockBlobClient(name);
    await blob.upload(content, Buffer.byteLength(content), { blobHTTPHeaders: { blobContentType: contentType } });
    return blob.url;
  }
  async writeParts(name: string, parts: Iterable<string>, contentType = 'application/json'): Promise<string> {
    const { Readable } = await import('node:stream');
    const blob = (await this.container()).getBlockBlobClient(name);
    await blob.uploadStream(Readable.from(parts, { objectMode: false }), 4 * 1024 * 1024, 4, { blobHTTPHeaders: { blobContentType: contentType } });
    return blob.url;
  }
}
