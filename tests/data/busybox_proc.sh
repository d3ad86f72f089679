# Busybox's applets that read /proc, run by busybox's sh (tests/system/test_busybox_proc.py).
# Each section starts with a marker made at run time ("@@NAME@@"): the boot report prints
# this script's text, which must not be able to satisfy the test.
section() { echo "@@$1@@"; }
sleep 30 &
section sleeper; echo $!
section meminfo; cat /proc/meminfo
section ps; ps
section top; top -b -n1
section free; free
section uptime; uptime
section pidof_sleep; pidof sleep
section pidof_sh; pidof sh
section mount; mount
section df; df
section id; id
section hostname; hostname
section etc_hostname; cat /etc/hostname
section ls_self; ls /proc/self/
section ls_self_slashes; ls //proc//self//
section exe; readlink /proc/self/exe
section ls_ld; ls -ld /proc/1 /proc/1/fd
section ls_fd; ls /proc/self/fd/
section status; cat /proc/self/status
kill $!
section end
