// The current AWS SDK for JavaScript v3 SQS client: JSON 1.0 protocol.
import * as sdk from "@aws-sdk/client-sqs";
import { defineSqsTests } from "./sqs_common.mjs";

defineSqsTests("json", sdk);
