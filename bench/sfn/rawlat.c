// rawlat: a minimal raw-HTTP Step Functions client for latency figures where an SDK's own
// per-call cost would dominate. One keep-alive connection, one call at a time, AWS JSON 1.0.
//
//   rawlat HOST PORT sync     STATE_MACHINE_ARN INPUT_FILE CALLS WARMUP
//       StartSyncExecution; per call prints "client_us server_ms"
//       (client: send → whole answer read; server: stopDate − startDate from the answer).
//   rawlat HOST PORT standard STATE_MACHINE_ARN INPUT_FILE CALLS WARMUP
//       StartExecution, then DescribeExecution until the status is no longer RUNNING;
//       per call prints "client_us server_ms describes" (client: StartExecution sent →
//       the DescribeExecution answer that shows the final status).
//
// Every answer must be HTTP 200 and end with "status":"SUCCEEDED", else rawlat exits 1.
// The Authorization header is a static (unchecked) SigV4 header naming the "states" scope,
// as an SDK would send; Sluice routes on it and on X-Amz-Target.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int fd = -1;
static const char* host;
static int port;
static char* resp;            // last answer's body (NUL-terminated)
static size_t resp_cap;
static char inbuf[1 << 16];   // bytes read but not yet consumed
static size_t in_len;

static void die(const char* what) {
    fprintf(stderr, "rawlat: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
    exit(1);
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void connect_once(void) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) die("bad host (an IPv4 address is expected)");
    if (connect(fd, (struct sockaddr*)&a, sizeof a) < 0) die("connect");
}

static void write_all(const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        p += w;
        n -= (size_t)w;
    }
}

static void fill(void) {
    if (in_len == sizeof inbuf) die("answer headers too large");
    ssize_t r = read(fd, inbuf + in_len, sizeof inbuf - in_len);
    if (r < 0 && errno == EINTR) return;
    if (r <= 0) die("read (connection closed?)");
    in_len += (size_t)r;
}

// Reads one answer; returns the HTTP status. The body lands in `resp`.
static int read_answer(void) {
    char* end;
    for (;;) {
        end = memmem(inbuf, in_len, "\r\n\r\n", 4);
        if (end) break;
        fill();
    }
    size_t head_len = (size_t)(end - inbuf) + 4;
    int status = 0;
    if (sscanf(inbuf, "HTTP/1.%*d %d", &status) != 1) die("bad status line");
    long clen = -1;
    for (char* line = inbuf; line < end;) {
        char* nl = memmem(line, (size_t)(end - line) + 2, "\r\n", 2);
        if (!nl) break;
        if ((size_t)(nl - line) > 15 && strncasecmp(line, "content-length:", 15) == 0) clen = strtol(line + 15, NULL, 10);
        if ((size_t)(nl - line) > 18 && strncasecmp(line, "transfer-encoding:", 18) == 0) die("chunked answers are not supported");
        line = nl + 2;
    }
    if (clen < 0) die("answer without Content-Length");
    if (resp_cap < (size_t)clen + 1) {
        resp_cap = (size_t)clen + 1;
        resp = realloc(resp, resp_cap);
        if (!resp) die("out of memory");
    }
    // Body: what is already buffered, then the rest straight from the socket.
    size_t have = in_len - head_len;
    if (have > (size_t)clen) have = (size_t)clen;
    memcpy(resp, inbuf + head_len, have);
    size_t consumed = head_len + have;
    memmove(inbuf, inbuf + consumed, in_len - consumed);
    in_len -= consumed;
    while (have < (size_t)clen) {
        ssize_t r = read(fd, resp + have, (size_t)clen - have);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) die("read body");
        have += (size_t)r;
    }
    resp[clen] = 0;
    return status;
}

static char* req;
static size_t req_cap;

static int call(const char* op, const char* body) {
    size_t blen = strlen(body);
    size_t need = blen + 1024;
    if (req_cap < need) {
        req_cap = need;
        req = realloc(req, req_cap);
        if (!req) die("out of memory");
    }
    int n = snprintf(req, req_cap,
                     "POST / HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/x-amz-json-1.0\r\n"
                     "X-Amz-Target: AWSStepFunctions.%s\r\nX-Amz-Date: 20250101T000000Z\r\n"
                     "Authorization: AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/states/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                     "Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     host, port, op, blen);
    memcpy(req + n, body, blen);
    write_all(req, (size_t)n + blen);
    return read_answer();
}

// The string value of "key" in the answer (no escapes expected in the fields read here).
static int field(const char* key, char* out, size_t cap) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    char* p = strstr(resp, pat);
    if (!p) return 0;
    p += strlen(pat);
    char* q = strchr(p, '"');
    if (!q || (size_t)(q - p) >= cap) return 0;
    memcpy(out, p, (size_t)(q - p));
    out[q - p] = 0;
    return 1;
}

static double number(const char* key) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    char* p = strstr(resp, pat);
    if (!p) return -1;
    return strtod(p + strlen(pat), NULL);
}

// JSON string escaping of the input document (it becomes the "input" string member).
static char* escape(const char* s) {
    size_t n = strlen(s);
    char* out = malloc(n * 6 + 1);
    char* o = out;
    for (; *s; ++s) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c < 0x20) {
            o += sprintf(o, "\\u%04x", c);
        } else {
            *o++ = (char)c;
        }
    }
    *o = 0;
    return out;
}

int main(int argc, char** argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: rawlat HOST PORT sync|standard STATE_MACHINE_ARN INPUT_FILE CALLS WARMUP\n");
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    const char* mode = argv[3];
    const char* arn = argv[4];
    FILE* f = fopen(argv[5], "rb");
    if (!f) die("input file");
    static char input[1 << 20];
    size_t ilen = fread(input, 1, sizeof input - 1, f);
    fclose(f);
    input[ilen] = 0;
    while (ilen > 0 && (input[ilen - 1] == '\n' || input[ilen - 1] == ' ')) input[--ilen] = 0;
    long calls = atol(argv[6]), warmup = atol(argv[7]);
    const int sync = strcmp(mode, "sync") == 0;
    if (!sync && strcmp(mode, "standard") != 0) die("mode must be sync or standard");

    char* esc = escape(input);
    size_t blen = strlen(esc) + strlen(arn) + 64;
    char* start_body = malloc(blen);
    snprintf(start_body, blen, "{\"stateMachineArn\":\"%s\",\"input\":\"%s\"}", arn, esc);

    connect_once();
    char status[32], exec_arn[512], describe_body[700];
    for (long i = 0; i < warmup + calls; ++i) {
        double t0 = now_us();
        int code = call(sync ? "StartSyncExecution" : "StartExecution", start_body);
        if (code != 200) {
            fprintf(stderr, "rawlat: HTTP %d: %s\n", code, resp);
            return 1;
        }
        int describes = 0;
        if (!sync) {
            if (!field("executionArn", exec_arn, sizeof exec_arn)) die("no executionArn in the answer");
            snprintf(describe_body, sizeof describe_body, "{\"executionArn\":\"%s\",\"includedData\":\"METADATA_ONLY\"}", exec_arn);
            for (;;) {
                ++describes;
                code = call("DescribeExecution", describe_body);
                if (code != 200) {
                    fprintf(stderr, "rawlat: DescribeExecution HTTP %d: %s\n", code, resp);
                    return 1;
                }
                if (!field("status", status, sizeof status)) die("no status in DescribeExecution");
                if (strcmp(status, "RUNNING") != 0) break;
                if (describes > 100000) die("execution never stopped");
            }
        }
        double t1 = now_us();
        if (!field("status", status, sizeof status) || strcmp(status, "SUCCEEDED") != 0) {
            fprintf(stderr, "rawlat: execution did not succeed: %s\n", resp);
            return 1;
        }
        double server_ms = (number("stopDate") - number("startDate")) * 1000.0;
        if (i >= warmup) printf("%.1f %.0f %d\n", t1 - t0, server_ms, describes);
    }
    return 0;
}
