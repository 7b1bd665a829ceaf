/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), which Node's zlib does not offer. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ 0x82f63b78 : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
})();

/** Continues a CRC-32C over `data` from `previous` (0 to start), as `zlib.crc32` does for CRC-32. */
export function crc32c(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let index = 0; index < data.byteLength; index++) crc = TABLE[(crc ^ data[index]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
