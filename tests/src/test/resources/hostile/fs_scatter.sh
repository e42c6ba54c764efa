#!/bin/sh
# Tries to leave a file where the host would find it: in /tmp, /dev/shm, /var/tmp, /run, the root,
# /home, /root, /etc, /usr/local and through /box/.. and /proc/self/root.
#
# Whatever it manages to write inside must never appear on the host: /tmp and /dev/shm are the run's
# own tmpfs mounts (gone with its mount namespace), the root is a read-only tmpfs that only holds
# mount points, /var, /run, /home and /root are not in the view at all, and /etc and /usr are
# read-only binds. The test checks the host's paths after the run.
#
# Usage: fs_scatter.sh NAME   (exit 0 when it wrote anywhere, 3 when it could write nowhere)
name=$1
[ -n "$name" ] || { echo "broken usage EINVAL"; exit 4; }
wrote=3
for dir in /tmp /dev/shm /var/tmp /run /home /root / /etc /usr/local /box/.. /box/../tmp /proc/self/root/tmp; do
    if (echo "$name" > "$dir/$name") 2>/dev/null; then
        echo "worked write:$dir"
        wrote=0
    else
        echo "blocked write:$dir refused"
    fi
done
exit $wrote
