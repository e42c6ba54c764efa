/*
 * Channels between sandboxes, and between a sandbox and the host, that need no shared file: SysV
 * shared memory, message queues and semaphores, POSIX message queues, abstract unix sockets, and
 * locks on a file that both can read (flock, POSIX record locks, open file description locks). One
 * side publishes (creates the object under a name both were given, or takes the lock), the other
 * seeks it.
 *
 * Must fail inside: each run has its own IPC namespace (SysV objects, POSIX message queues) and its
 * own network namespace (abstract unix sockets live in the network namespace). Locks belong to the
 * file, which every sandbox shares through the read-only host view: the default seccomp filter
 * answers EPERM to flock and to the fcntl lock commands (F_GETLK, F_SETLK, F_SETLKW, F_OFD_*).
 * Outside, a host publisher and a host seeker find each other.
 *
 * Usage: ipc_channel publish|seek KIND NAME [LOCK_FILE]
 *   KIND: shm msg sem mqueue abstract flock posixlock ofdlock
 *   publish: creates, writes "ready" in the working directory, waits for "stop" there (30 s at
 *   most), removes what it made and exits.
 */
#include "hostile.h"

#include <fcntl.h>
#include <mqueue.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

static key_t key_of(const char *name)
{
    unsigned h = 2166136261u;
    for (const char *c = name; *c != '\0'; c++) {
        h = (h ^ (unsigned char)*c) * 16777619u;
    }
    return (key_t)(h & 0x7fffffff);
}

static socklen_t abstract_address(struct sockaddr_un *a, const char *name)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    size_t n = strlen(name) < sizeof a->sun_path - 1 ? strlen(name) : sizeof a->sun_path - 1;
    memcpy(a->sun_path + 1, name, n); /* sun_path[0] == '\0': the abstract namespace */
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static void wait_for_stop(void)
{
    int fd = open("ready", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        broken("ready", errno);
    }
    close(fd);
    struct timespec ts = { 0, 5 * 1000 * 1000 };
    for (int i = 0; i < 6000 && access("stop", F_OK) != 0; i++) {
        nanosleep(&ts, NULL);
    }
}

static struct flock whole_file(short type)
{
    struct flock l;
    memset(&l, 0, sizeof l);
    l.l_type = type;
    l.l_whence = SEEK_SET;
    return l;
}

static int publish(const char *kind, const char *name, const char *lock_file)
{
    key_t key = key_of(name);
    int id = -1, fd = -1;
    char mq[300];
    snprintf(mq, sizeof mq, "/%s", name);
    if (strcmp(kind, "shm") == 0) {
        id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0666);
        step_result("shmget", id);
    } else if (strcmp(kind, "msg") == 0) {
        id = msgget(key, IPC_CREAT | IPC_EXCL | 0666);
        step_result("msgget", id);
    } else if (strcmp(kind, "sem") == 0) {
        id = semget(key, 1, IPC_CREAT | IPC_EXCL | 0666);
        step_result("semget", id);
    } else if (strcmp(kind, "mqueue") == 0) {
        fd = (int)mq_open(mq, O_CREAT | O_EXCL | O_RDWR, 0666, NULL);
        step_result("mq_open", fd);
    } else if (strcmp(kind, "abstract") == 0) {
        struct sockaddr_un a;
        socklen_t len = abstract_address(&a, name);
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&a, len) < 0 || listen(fd, 8) < 0) {
            blocked("listen", errno);
        } else {
            worked("listen", "@%s", name);
        }
    } else {
        fd = open(lock_file, O_RDONLY);
        if (fd < 0) {
            broken("open-lock-file", errno);
        }
        struct flock l = whole_file(F_RDLCK);
        if (strcmp(kind, "flock") == 0) {
            step_result("flock", flock(fd, LOCK_EX));
        } else if (strcmp(kind, "posixlock") == 0) {
            step_result("F_SETLK", fcntl(fd, F_SETLK, &l));
        } else if (strcmp(kind, "ofdlock") == 0) {
            step_result("F_OFD_SETLK", fcntl(fd, F_OFD_SETLK, &l));
        } else {
            broken("kind", EINVAL);
        }
    }
    wait_for_stop();
    if (strcmp(kind, "shm") == 0 && id >= 0) {
        shmctl(id, IPC_RMID, NULL);
    } else if (strcmp(kind, "msg") == 0 && id >= 0) {
        msgctl(id, IPC_RMID, NULL);
    } else if (strcmp(kind, "sem") == 0 && id >= 0) {
        semctl(id, 0, IPC_RMID);
    } else if (strcmp(kind, "mqueue") == 0 && fd >= 0) {
        mq_unlink(mq);
    }
    return verdict();
}

static int seek(const char *kind, const char *name, const char *lock_file)
{
    key_t key = key_of(name);
    char mq[300];
    snprintf(mq, sizeof mq, "/%s", name);
    if (strcmp(kind, "shm") == 0) {
        step_result("find-shm", shmget(key, 0, 0));
    } else if (strcmp(kind, "msg") == 0) {
        step_result("find-msg", msgget(key, 0));
    } else if (strcmp(kind, "sem") == 0) {
        step_result("find-sem", semget(key, 0, 0));
    } else if (strcmp(kind, "mqueue") == 0) {
        mqd_t q = mq_open(mq, O_RDONLY);
        if (step_result("find-mqueue", (long)q)) {
            mq_close(q);
        }
    } else if (strcmp(kind, "abstract") == 0) {
        struct sockaddr_un a;
        socklen_t len = abstract_address(&a, name);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0) {
            broken("socket", errno);
        }
        step_result("connect-abstract", connect(fd, (struct sockaddr *)&a, len));
        close(fd);
    } else {
        int fd = open(lock_file, O_RDONLY);
        if (fd < 0) {
            broken("open-lock-file", errno);
        }
        /* A write lock would conflict with the publisher's lock: seeing the conflict is the channel. */
        struct flock l = whole_file(F_WRLCK);
        int r = -1;
        if (strcmp(kind, "flock") == 0) {
            r = flock(fd, LOCK_EX | LOCK_NB);
            if (r < 0 && errno == EWOULDBLOCK) {
                worked("see-lock", "flock held elsewhere");
            } else if (r < 0) {
                blocked("see-lock", errno);
            } else {
                refused("see-lock", "not-held");
            }
        } else {
            int cmd = strcmp(kind, "ofdlock") == 0 ? F_OFD_GETLK : F_GETLK;
            r = fcntl(fd, cmd, &l);
            if (r < 0) {
                blocked("see-lock", errno);
            } else if (l.l_type != F_UNLCK) {
                worked("see-lock", "a read lock held elsewhere");
            } else {
                refused("see-lock", "not-held");
            }
        }
        close(fd);
    }
    return verdict();
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        broken("usage", EINVAL);
    }
    const char *lock_file = argc > 4 ? argv[4] : "";
    if (strcmp(argv[1], "publish") == 0) {
        return publish(argv[2], argv[3], lock_file);
    }
    return seek(argv[2], argv[3], lock_file);
}
