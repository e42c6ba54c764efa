# Makes a /proc/self/status fixture for a process in seccomp filter mode:
# sets no_new_privs, installs two allow-all classic-BPF filters, prints its own status.
import ctypes, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
SECCOMP_RET_ALLOW = 0x7fff0000
insn = (ctypes.c_ubyte * 8).from_buffer_copy(struct.pack("HBBI", 0x06, 0, 0, SECCOMP_RET_ALLOW))  # BPF_RET|BPF_K
class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
prog = SockFprog(1, ctypes.addressof(insn))
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0: sys.exit("no_new_privs failed")
for _ in range(2):
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        sys.exit("seccomp failed: errno %d" % ctypes.get_errno())
sys.stdout.write(open("/proc/self/status").read())
