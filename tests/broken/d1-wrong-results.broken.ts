import { describeD1 } from "@cellar/conformance";
import { execLineOne, wrongResults } from "../support/d1-broken.ts";

// Two broken D1s: results with Uint8Array BLOBs and short meta, and exec errors that always say line 1.
describeD1(wrongResults());
describeD1(execLineOne());
