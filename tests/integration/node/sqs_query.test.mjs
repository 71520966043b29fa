// @aws-sdk/client-sqs@3.445.0 (npm alias client-sqs-query): the last release that speaks the
// query protocol, and one that already has the message-move-task commands.
import * as sdk from "client-sqs-query";
import { defineSqsTests } from "./sqs_common.mjs";

defineSqsTests("query", sdk);
