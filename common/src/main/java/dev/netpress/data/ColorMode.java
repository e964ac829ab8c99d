package dev.netpress.data;

/** How decoded images are turned into channels. */
public enum ColorMode {
    /** Three channels, red, green, blue; grayscale images are replicated into all three. */
    RGB(3),
    /** One channel; colour images are reduced to luma, 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL does). */
    GRAY(1);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
