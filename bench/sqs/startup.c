/* Start-up time of a server, without a runtime's own spawn cost in the figure: fork() + exec of the
 * server, then connect-and-ask in a tight loop until it answers. Prints, for each run, the time
 * from fork() to the first HTTP answer to GET <health path> and to the first 200 answer to an SQS
 * ListQueues (JSON protocol), then the medians.
 *
 * Usage: startup RUNS PORT HEALTH_PATH -- SERVER ARGS...      (the server must listen on PORT)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* One request on a new connection; the status code, or -1 when nothing answered. */
static int ask(int port, const char *request) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    size_t len = strlen(request), sent = 0;
    while (sent < len) {
        ssize_t n = write(fd, request + sent, len - sent);
        if (n <= 0) break;
        sent += (size_t)n;
    }
    char buf[64] = {0};
    ssize_t got = 0, n;
    while (got < 12 && (n = read(fd, buf + got, sizeof buf - 1 - (size_t)got)) > 0) got += n;
    close(fd);
    if (got < 12 || strncmp(buf, "HTTP/1.", 7) != 0) return -1;
    return atoi(buf + 9);
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 6 || strcmp(argv[4], "--") != 0) {
        fprintf(stderr, "usage: startup RUNS PORT HEALTH_PATH -- SERVER ARGS...\n");
        return 2;
    }
    const int runs = atoi(argv[1]), port = atoi(argv[2]);
    char health[512], list_queues[1024];
    snprintf(health, sizeof health, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", argv[3], port);
    snprintf(list_queues, sizeof list_queues,
             "POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/x-amz-json-1.0\r\n"
             "X-Amz-Target: AmazonSQS.ListQueues\r\nAuthorization: AWS4-HMAC-SHA256 "
             "Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0\r\n"
             "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
             port);
    double *first = calloc((size_t)runs, sizeof *first), *sqs = calloc((size_t)runs, sizeof *sqs);
    for (int r = 0; r < runs; ++r) {
        const double t0 = now_ms();
        pid_t pid = fork();
        if (pid == 0) {
            freopen("/dev/null", "w", stdout);
            freopen("/dev/null", "w", stderr);
            execv(argv[5], argv + 5);
            _exit(127);
        }
        while (ask(port, health) < 0) {
            if (now_ms() - t0 > 10000) {
                fprintf(stderr, "startup: no answer in 10 s\n");
                kill(pid, SIGKILL);
                return 1;
            }
        }
        first[r] = now_ms() - t0;
        while (ask(port, list_queues) != 200) {
            if (now_ms() - t0 > 10000) {
                fprintf(stderr, "startup: ListQueues never answered 200\n");
                kill(pid, SIGKILL);
                return 1;
            }
        }
        sqs[r] = now_ms() - t0;
        printf("run %d: first answer %.2f ms, first SQS answer %.2f ms\n", r + 1, first[r], sqs[r]);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        usleep(100000);  /* the port is free again before the next run */
    }
    qsort(first, (size_t)runs, sizeof *first, compare);
    qsort(sqs, (size_t)runs, sizeof *sqs, compare);
    printf("median of %d: first answer %.2f ms, first SQS answer %.2f ms\n", runs, first[runs / 2], sqs[runs / 2]);
    return 0;
}
