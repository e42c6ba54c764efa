# Makes a /proc/self/status fixture whose real, effective, saved and filesystem ids all differ,
# with supplementary groups and umask 027. Run as root.
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP = 28, 1 << 2
os.umask(0o027)
os.setgroups([10, 20, 4000000000])
os.setresgid(2000, 2001, 2002)
libc.setfsgid(2003)
if libc.prctl(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP, 0, 0, 0) != 0: sys.exit("securebits failed")
os.setresuid(1000, 1001, 1002)
libc.setfsuid(1003)
sys.stdout.write(open("/proc/self/status").read())
