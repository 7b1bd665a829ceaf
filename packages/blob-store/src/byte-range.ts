export interface ByteRange { readonly start: number; readonly end: number }
