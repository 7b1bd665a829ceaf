import { describeD1 } from "@cellar/conformance";
import { batchNotAtomic, lossyPersistence } from "../support/d1-broken.ts";

// Two broken D1s: a batch that is not one transaction, and a store that loses its data on reopen.
describeD1(batchNotAtomic());
describeD1(lossyPersistence());
