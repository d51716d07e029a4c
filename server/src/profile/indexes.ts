import type { IndexDefinition } from '../db/indexes.js';
import { AVATAR_FILES_COLLECTION } from './avatar-store.js';

/** Replacing an avatar finds the user's older files by owner. (GridFS creates its own indexes on first upload.) */
export function profileIndexes(): IndexDefinition[] {
  return [{ collection: AVATAR_FILES_COLLECTION, key: { 'metadata.userId': 1 }, options: { name: 'avatars_files_userId_idx' } }];
}
