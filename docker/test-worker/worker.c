/*
 * Sluice test worker: a tiny container entry point for the Step Functions container tests.
 * Built statically (gcc -static -O2 -Wall -Wextra) and shipped in a FROM-scratch image by
 * build.sh; it depends on nothing but libc. Everything it does is driven by the environment:
 *
 *   STEP_FUNCTIONS_INPUT     printed as "STEP_FUNCTIONS_INPUT=<value>" (or "... is not set")
 *   WORKER_PRINT_ENV=1       also print every environment variable, one per line
 *   WORKER_SLEEP_SECONDS     sleep this long before finishing (default 0, may be fractional)
 *   WORKER_IGNORE_SIGTERM=1  keep sleeping on SIGTERM (the engine has to SIGKILL us)
 *   WORKER_EXIT_CODE         the exit code (default 0)
 *   WORKER_TASK_TOKEN        after sleeping, report SendTaskSuccess (or SendTaskFailure when
 *                            WORKER_TASK_RESULT=failure) for this token to AWS_ENDPOINT_URL
 *                            (http://host:port, default http://127.0.0.1:4566)
 *   WORKER_TASK_OUTPUT       the success output, a JSON text (default {"ok":true})
 *   WORKER_TASK_ERROR        the failure's error (default WorkerFailed)
 *   WORKER_TASK_CAUSE        the failure's cause (default "the worker was told to fail")
 *
 * It always prints "ARGS=<arg1> <arg2>..." after the input line. On SIGTERM it prints
 * "received SIGTERM" and exits with 143 (it is PID 1 in its container, and the kernel drops
 * signals PID 1 has no handler for). Exit codes: WORKER_EXIT_CODE normally, 143 on SIGTERM,
 * 2 for a malformed variable, 3 when the task-token call fails (no answer or a non-2xx status).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { EXIT_BAD_VARIABLE = 2, EXIT_CALL_FAILED = 3, EXIT_SIGTERM = 143 };

/* Seconds a connect, send or receive may block before the task-token call gives up. */
#define IO_TIMEOUT_SECONDS 10
/* The most of the HTTP response that is kept (it is only printed). */
#define MAX_RESPONSE 65536

static volatile sig_atomic_t got_sigterm = 0;

static void on_sigterm(int sig) {
  (void)sig;
  got_sigterm = 1;
}

static int env_is(const char *name, const char *value) {
  const char *v = getenv(name);
  return v != NULL && strcmp(v, value) == 0;
}

/* Acts on a SIGTERM that arrived since the last call: exits with 143, or says it is ignored. */
static void check_sigterm(void) {
  if (!got_sigterm) return;
  got_sigterm = 0;
  if (env_is("WORKER_IGNORE_SIGTERM", "1")) {
    printf("received SIGTERM, ignoring it\n");
    fflush(stdout);
    return;
  }
  printf("received SIGTERM\n");
  fflush(stdout);
  exit(EXIT_SIGTERM);
}

static void print_banner(int argc, char **argv) {
  const char *input = getenv("STEP_FUNCTIONS_INPUT");
  if (input != NULL)
    printf("STEP_FUNCTIONS_INPUT=%s\n", input);
  else
    printf("STEP_FUNCTIONS_INPUT is not set\n");

  printf("ARGS=");
  for (int i = 1; i < argc; i++) printf(i > 1 ? " %s" : "%s", argv[i]);
  printf("\n");

  if (env_is("WORKER_PRINT_ENV", "1"))
    for (char **e = environ; *e != NULL; e++) printf("%s\n", *e);
  fflush(stdout);
}

/* Parses WORKER_SLEEP_SECONDS (default 0); exits with 2 when it is not a number >= 0. */
static double sleep_seconds(void) {
  const char *s = getenv("WORKER_SLEEP_SECONDS");
  if (s == NULL || *s == '\0') return 0;
  char *end;
  errno = 0;
  double d = strtod(s, &end);
  if (errno != 0 || *end != '\0' || !isfinite(d) || d < 0 || d > 1e9) {
    fprintf(stderr, "worker: WORKER_SLEEP_SECONDS=%s is not a number of seconds >= 0\n", s);
    exit(EXIT_BAD_VARIABLE);
  }
  return d;
}

/* Parses WORKER_EXIT_CODE (default 0); exits with 2 when it is not an integer 0..255. */
static int exit_code(void) {
  const char *s = getenv("WORKER_EXIT_CODE");
  if (s == NULL || *s == '\0') return 0;
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno != 0 || *end != '\0' || v < 0 || v > 255) {
    fprintf(stderr, "worker: WORKER_EXIT_CODE=%s is not an integer from 0 to 255\n", s);
    exit(EXIT_BAD_VARIABLE);
  }
  return (int)v;
}

/* Sleeps the whole time unless a SIGTERM that is not ignored ends the process first. */
static void sleep_for(double seconds) {
  struct timespec left;
  left.tv_sec = (time_t)seconds;
  left.tv_nsec = (long)((seconds - (double)left.tv_sec) * 1e9);
  if (left.tv_nsec >= 1000000000L) left.tv_nsec = 999999999L;
  while (left.tv_sec > 0 || left.tv_nsec > 0) {
    struct timespec rest;
    if (nanosleep(&left, &rest) == 0) break;
    if (errno != EINTR) {
      perror("worker: nanosleep");
      break;
    }
    check_sigterm(); /* exits unless the SIGTERM is ignored */
    left = rest;
  }
  check_sigterm(); /* a SIGTERM that arrived just as the sleep ended */
}

/* ---- a growable string buffer ---- */

typedef struct {
  char *data;
  size_t len, cap;
} buf_t;

static void buf_reserve(buf_t *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  char *p = realloc(b->data, cap);
  if (p == NULL) {
    fprintf(stderr, "worker: out of memory\n");
    exit(EXIT_CALL_FAILED);
  }
  b->data = p;
  b->cap = cap;
}

static void buf_append(buf_t *b, const char *s, size_t n) {
  buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void buf_puts(buf_t *b, const char *s) { buf_append(b, s, strlen(s)); }

/* Appends s as a JSON string literal, quotes included. Bytes >= 0x80 pass through unchanged
 * (the environment is taken to be UTF-8); control characters become escapes. */
static void buf_json_string(buf_t *b, const char *s) {
  buf_puts(b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
    switch (*p) {
      case '"': buf_puts(b, "\\\""); break;
      case '\\': buf_puts(b, "\\\\"); break;
      case '\b': buf_puts(b, "\\b"); break;
      case '\f': buf_puts(b, "\\f"); break;
      case '\n': buf_puts(b, "\\n"); break;
      case '\r': buf_puts(b, "\\r"); break;
      case '\t': buf_puts(b, "\\t"); break;
      default:
        if (*p < 0x20 || *p == 0x7f) {
          char esc[8];
          snprintf(esc, sizeof esc, "\\u%04x", *p);
          buf_puts(b, esc);
        } else {
          buf_append(b, (const char *)p, 1);
        }
    }
  }
  buf_puts(b, "\"");
}

/* ---- the task-token call ---- */

typedef struct {
  char host[256];      /* without brackets, for getaddrinfo */
  char port[16];
  char authority[300]; /* host[:port] as written, for the Host header */
} endpoint_t;

/* Splits "http://host[:port][/...]" (host may be a bracketed IPv6 address). */
static int parse_endpoint(const char *url, endpoint_t *ep) {
  static const char scheme[] = "http://";
  if (strncmp(url, scheme, sizeof scheme - 1) != 0) return -1;
  const char *auth = url + sizeof scheme - 1;
  size_t auth_len = strcspn(auth, "/?#");
  if (auth_len == 0 || auth_len >= sizeof ep->authority) return -1;
  memcpy(ep->authority, auth, auth_len);
  ep->authority[auth_len] = '\0';

  const char *host = ep->authority, *host_end, *port = NULL;
  if (*host == '[') { /* [v6]:port */
    host++;
    host_end = strchr(host, ']');
    if (host_end == NULL) return -1;
    if (host_end[1] == ':')
      port = host_end + 2;
    else if (host_end[1] != '\0')
      return -1;
  } else {
    host_end = strchr(host, ':');
    if (host_end != NULL)
      port = host_end + 1;
    else
      host_end = host + strlen(host);
  }
  size_t host_len = (size_t)(host_end - host);
  if (host_len == 0 || host_len >= sizeof ep->host) return -1;
  memcpy(ep->host, host, host_len);
  ep->host[host_len] = '\0';

  if (port == NULL) port = "80";
  if (*port == '\0' || strlen(port) >= sizeof ep->port || strspn(port, "0123456789") != strlen(port))
    return -1;
  strcpy(ep->port, port);
  return 0;
}

/* Connects to host:port, trying every address getaddrinfo gives. "localhost" is mapped to
 * 127.0.0.1 first: a static binary in a scratch image may have no resolver configuration.
 * Returns the socket, or -1 with the reason printed. */
static int connect_to(const endpoint_t *ep) {
  const char *host = strcmp(ep->host, "localhost") == 0 ? "127.0.0.1" : ep->host;
  struct addrinfo hints, *res;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, ep->port, &hints, &res);
  if (rc != 0) {
    printf("task token call failed: cannot resolve %s: %s\n", ep->host, gai_strerror(rc));
    return -1;
  }
  int fd = -1, last_errno = 0;
  for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    /* On Linux SO_SNDTIMEO bounds connect() as well as send(). */
    struct timeval tv = {IO_TIMEOUT_SECONDS, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    last_errno = errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0 && (last_errno == EINPROGRESS || last_errno == EAGAIN))
    printf("task token call failed: cannot connect to %s: no answer within %d s\n",
           ep->authority, IO_TIMEOUT_SECONDS);
  else if (fd < 0)
    printf("task token call failed: cannot connect to %s: %s\n", ep->authority,
           strerror(last_errno));
  return fd;
}

static int send_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) {
        check_sigterm();
        continue;
      }
      return -1;
    }
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Builds the SendTaskSuccess / SendTaskFailure body. */
static void build_body(buf_t *body, const char *token, int failure) {
  buf_puts(body, "{\"taskToken\": ");
  buf_json_string(body, token);
  if (failure) {
    const char *error = getenv("WORKER_TASK_ERROR");
    const char *cause = getenv("WORKER_TASK_CAUSE");
    buf_puts(body, ", \"error\": ");
    buf_json_string(body, error != NULL ? error : "WorkerFailed");
    buf_puts(body, ", \"cause\": ");
    buf_json_string(body, cause != NULL ? cause : "the worker was told to fail");
  } else {
    const char *output = getenv("WORKER_TASK_OUTPUT");
    buf_puts(body, ", \"output\": ");
    buf_json_string(body, output != NULL ? output : "{\"ok\":true}");
  }
  buf_puts(body, "}");
}

/* Reports the task token's outcome. Returns 0 on a 2xx answer; otherwise prints why and
 * returns -1. */
static int send_task_result(const char *token) {
  const char *url = getenv("AWS_ENDPOINT_URL");
  if (url == NULL || *url == '\0') url = "http://127.0.0.1:4566";
  endpoint_t ep;
  if (parse_endpoint(url, &ep) != 0) {
    printf("task token call failed: AWS_ENDPOINT_URL=%s is not of the form http://host:port\n",
           url);
    return -1;
  }
  int failure = env_is("WORKER_TASK_RESULT", "failure");
  const char *action = failure ? "SendTaskFailure" : "SendTaskSuccess";

  buf_t body = {0}, request = {0};
  build_body(&body, token, failure);
  char head[512];
  snprintf(head, sizeof head,
           "POST / HTTP/1.1\r\n"
           "Host: %s\r\n"
           "Content-Type: application/x-amz-json-1.0\r\n"
           "X-Amz-Target: AWSStepFunctions.%s\r\n"
           "Content-Length: %zu\r\n"
           "Connection: close\r\n"
           "\r\n",
           ep.authority, action, body.len);
  buf_puts(&request, head);
  buf_append(&request, body.data, body.len);
  free(body.data);

  printf("calling %s on %s\n", action, url);
  fflush(stdout);
  int fd = connect_to(&ep);
  if (fd < 0) {
    free(request.data);
    return -1;
  }
  int sent = send_all(fd, request.data, request.len);
  int send_errno = errno;
  free(request.data);
  if (sent != 0) {
    printf("task token call failed: sending the request: %s\n", strerror(send_errno));
    close(fd);
    return -1;
  }

  /* Connection: close, so the answer ends at end of file. */
  buf_t response = {0};
  for (;;) {
    char chunk[4096];
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) {
        check_sigterm();
        continue;
      }
      if (response.len > 0) break; /* keep what arrived (a timeout after a complete answer) */
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        printf("task token call failed: no answer within %d s\n", IO_TIMEOUT_SECONDS);
      else
        printf("task token call failed: reading the response: %s\n", strerror(errno));
      close(fd);
      return -1;
    }
    if (response.len < MAX_RESPONSE) buf_append(&response, chunk, (size_t)n);
  }
  close(fd);
  if (response.len == 0) {
    printf("task token call failed: the connection closed without an answer\n");
    return -1;
  }

  size_t line_len = strcspn(response.data, "\r\n");
  printf("%.*s\n", (int)line_len, response.data);
  int status = 0;
  int ok = sscanf(response.data, "HTTP/%*d.%*d %d", &status) == 1 && status >= 200 && status < 300;
  if (!ok) {
    const char *resp_body = strstr(response.data, "\r\n\r\n");
    resp_body = resp_body != NULL && resp_body[4] != '\0' ? resp_body + 4 : "(no body)";
    printf("task token call failed: %s answered %s\n", action, resp_body);
  }
  fflush(stdout);
  free(response.data);
  return ok ? 0 : -1;
}

int main(int argc, char **argv) {
  /* PID 1 in a container gets no default signal actions: SIGTERM needs a handler. No
   * SA_RESTART, so a SIGTERM interrupts nanosleep and blocking socket calls. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigterm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);

  int code = exit_code();
  double seconds = sleep_seconds();

  print_banner(argc, argv);
  sleep_for(seconds);

  const char *token = getenv("WORKER_TASK_TOKEN");
  if (token != NULL && send_task_result(token) != 0) {
    fflush(stdout);
    return EXIT_CALL_FAILED;
  }
  check_sigterm();
  fflush(stdout);
  return code;
}
