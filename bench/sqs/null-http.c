/* Calibration stub, not an emulator: the fastest HTTP/1.1 server this machine can run for the
 * raw wrk figures. It answers every request with the same canned SendMessage answer (JSON
 * protocol) and does no other work: no JSON, no MD5, no storing. Two threads, each with its own
 * SO_REUSEPORT listener and epoll loop, as Sluice runs. What wrk measures against it is the
 * ceiling of the raw figures on this machine: the kernel's loopback path plus wrk itself.
 * Usage: null-http PORT            (prints "listening on http://127.0.0.1:PORT")
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BODY "{\"MD5OfMessageBody\":\"0123456789abcdef0123456789abcdef\",\"MessageId\":\"01234567-89ab-cdef-0123-456789abcdef\"}"
static char answer[512];
static size_t answer_len;
static int listen_port;

struct conn {
    int fd;
    size_t used;
    char buf[65536];
};

/* Length of the first complete request in b[0..n), or 0 when it is not all there yet. */
static size_t request_length(const char *b, size_t n) {
    const char *end = memmem(b, n, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head = (size_t)(end - b) + 4, body = 0;
    for (const char *p = b; p < end; p++) {
        if ((p == b || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) {
            body = strtoul(p + 15, NULL, 10);
            break;
        }
    }
    return head + body <= n ? head + body : 0;
}

static void *serve(void *arg) {
    (void)arg;
    int on = 1;
    int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(l, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(listen_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 1024) != 0) {
        perror("null-http: bind/listen");
        exit(1);
    }
    int ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, l, &e);
    struct epoll_event ready[64];
    for (;;) {
        int n = epoll_wait(ep, ready, 64, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = ready[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                    struct conn *nc = calloc(1, sizeof *nc);
                    nc->fd = fd;
                    struct epoll_event ce = {.events = EPOLLIN, .data.ptr = nc};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ce);
                }
                continue;
            }
            ssize_t r = read(c->fd, c->buf + c->used, sizeof c->buf - c->used);
            if (r <= 0) {
                close(c->fd);
                free(c);
                continue;
            }
            c->used += (size_t)r;
            size_t len;
            while ((len = request_length(c->buf, c->used)) > 0) {
                if (write(c->fd, answer, answer_len) < 0) break;
                memmove(c->buf, c->buf + len, c->used - len);
                c->used -= len;
            }
            if (c->used == sizeof c->buf) c->used = 0; /* a request larger than the buffer: drop it */
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: null-http PORT\n");
        return 2;
    }
    listen_port = atoi(argv[1]);
    answer_len = (size_t)snprintf(answer, sizeof answer,
                                  "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
                                  "x-amzn-RequestId: 01234567-89ab-cdef-0123-456789abcdef\r\nContent-Length: %zu\r\n\r\n%s",
                                  strlen(BODY), BODY);
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, serve, NULL);
    printf("listening on http://127.0.0.1:%d\n", listen_port);
    fflush(stdout);
    pthread_join(threads[0], NULL);
    return 0;
}
