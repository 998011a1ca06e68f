/**
 * The multi-block checksum vector of ../shared/vectors (README there):
 * 2,621,440 bytes, byte i = (31 i + 7) mod 251, stored with 1 MiB blocks
 * (three blocks), and the GETFILECHECKSUM answer published with it. The
 * bytes are generated rather than checked in.
 */

/** The block size the vector is published for. */
export const MULTIBLOCK_BLOCK_SIZE = 1024 * 1024;

/** The published answer for the vector with {@link MULTIBLOCK_BLOCK_SIZE}. */
export const MULTIBLOCK_CHECKSUM = {
  algorithm: 'MD5-of-2048MD5-of-512CRC32C',
  bytes: '000002000000000000000800f6d4ef6d768ca47546786d653ee94c95',
  length: 28,
} as const;

/** The vector's content. */
export function multiblockVector(): Buffer {
  const data = Buffer.alloc(2_621_440);
  for (let i = 0; i < data.length; i++) data[i] = (31 * i + 7) % 251;
  return data;
}
