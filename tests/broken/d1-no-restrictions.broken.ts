import { describeD1 } from "@cellar/conformance";
import { noRestrictions } from "../support/d1-broken.ts";

// A D1 without the runtime's authorizer.
describeD1(noRestrictions());
