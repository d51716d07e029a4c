import type { Readable } from 'node:stream';
import { GridFSBucket, MongoRuntimeError, ObjectId, type Collection, type Db } from 'mongodb';
import { AVATAR_CONTENT_TYPES, type AvatarContentType } from '@wechat-login/shared';

/**
 * GridFS keeps avatars in the database every instance already shares, so no volume has to be
 * mounted on each of them. Checked on the embedded FerretDB 1.24 (SQLite) as on MongoDB:
 * bytes come back identical and a delete removes the chunks too.
 */
export const AVATAR_BUCKET = 'avatars';
export const AVATAR_FILES_COLLECTION = `${AVATAR_BUCKET}.files`;

export interface StoredAvatar {
  id: string;
  contentType: AvatarContentType;
  length: number;
  uploadedAt: Date;
}

interface AvatarFile {
  _id: ObjectId;
  length: number;
  uploadDate: Date;
  metadata?: { userId?: string; contentType?: string };
}

/** A 24-hex-digit ObjectId, or null: ids come from URLs and must never reach a query as anything else. */
export function parseAvatarId(id: string): ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : null;
}

function isAvatarType(value: unknown): value is AvatarContentType {
  return AVATAR_CONTENT_TYPES.includes(value as AvatarContentType);
}

export class AvatarStore {
  private readonly bucket: GridFSBucket;
  private readonly files: Collection<AvatarFile>;

  constructor(db: Db) {
    this.bucket = new GridFSBucket(db, { bucketName: AVATAR_BUCKET });
    this.files = db.collection<AvatarFile>(AVATAR_FILES_COLLECTION);
  }

  /** Stores checked image bytes for a user; returns the new file's id. */
  async save(userId: string, bytes: Buffer, contentType: AvatarContentType): Promise<string> {
    const upload = this.bucket.openUploadStream(`avatar-${userId}`, { metadata: { userId, contentType } });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(bytes);
    });
    return upload.id.toHexString();
  }

  async find(id: string): Promise<StoredAvatar | null> {
    const _id = parseAvatarId(id);
    const file = _id && (await this.files.findOne({ _id }));
    if (!file || !isAvatarType(file.metadata?.contentType)) return null;
    return { id: file._id.toHexString(), contentType: file.metadata.contentType, length: file.length, uploadedAt: file.uploadDate };
  }

  /** The bytes of an avatar `find` returned. */
  openDownload(id: string): Readable {
    return this.bucket.openDownloadStream(new ObjectId(id));
  }

  /**
   * Deletes every avatar of the user, but `except` (the one just uploaded). By owner rather than by
   * the previous URL, so an upload that lost a race with another one, or a file left by a crash, goes too.
   */
  async deleteAllOfUser(userId: string, options: { except?: string } = {}): Promise<number> {
    const filter = options.except ? { 'metadata.userId': userId, _id: { $ne: new ObjectId(options.except) } } : { 'metadata.userId': userId };
    const stale = await this.files.find(filter, { projection: { _id: 1 } }).toArray();
    let deleted = 0;
    for (const { _id } of stale) {
      try {
        await this.bucket.delete(_id);
        deleted += 1;
      } catch (error) {
        // The driver's "File not found" (a MongoRuntimeError): another request deleted it first, and
        // the chunks are gone either way. Anything else is a real failure.
        if (!(error instanceof MongoRuntimeError && error.message.startsWith('File not found'))) throw error;
      }
    }
    return deleted;
  }
}
