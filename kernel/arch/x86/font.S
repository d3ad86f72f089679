/*
 * The framebuffer console's font, embedded as the file it is (see kernel/fonts/README.md for
 * where it comes from). kernel/lib/psf.c parses it at boot.
 */
    .section .rodata
    .balign 4
    .global console_font
console_font:
    .incbin "kernel/fonts/Lat15-Fixed16.psf"
    .global console_font_end
console_font_end:
