/* A photo-like 3 MB JPEG (noise over a gradient, 3000 x 2000) for the upload benchmark. */
#include <vips/vips.h>
int main(int argc, char **argv) {
  if (VIPS_INIT(argv[0]) || argc < 2) return 1;
  VipsImage *noise, *rgb, *u;
  VipsImage *bands[3];
  for (int i = 0; i < 3; i++) vips_gaussnoise(&bands[i], 3000, 2000, "sigma", 40.0, "mean", 128.0, NULL);
  if (vips_bandjoin(bands, &rgb, 3, NULL) || vips_cast(rgb, &u, VIPS_FORMAT_UCHAR, NULL)) return 1;
  (void)noise;
  return vips_jpegsave(u, argv[1], "Q", 82, NULL);
}
