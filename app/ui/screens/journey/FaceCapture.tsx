import { useEffect, useRef } from 'preact/hooks';
import type { KioskClient } from '../../api-client.ts';

/**
 * The live camera preview. With the renderer camera, frames go to the host at a bounded rate
 * (the face pipeline runs there); with a file camera (demo) there is nothing to show but the frame guide.
 */
export function FaceCapture({ client, enabled, fps = 4 }: { client: KioskClient; enabled: boolean; fps?: number }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (!enabled || !navigator.mediaDevices?.getUserMedia) return;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let sending = false;
    const canvas = document.createElement('canvas');
    void navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, facingMode: 'user' }, audio: false }).then((s) => {
      stream = s;
      if (video.current) video.current.srcObject = s;
      timer = setInterval(() => {
        const v = video.current;
        if (!v || sending || v.videoWidth === 0) return;
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        canvas.getContext('2d')!.drawImage(v, 0, 0);
        sending = true;
        const jpegBase64 = canvas.toDataURL('image/jpeg', 0.9).split(',')[1]!;
        void client.call('pushCameraFrame', { jpegBase64 }).finally(() => (sending = false));
      }, 1000 / fps);
    }).catch(() => undefined);
    return () => {
      if (timer) clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [enabled]);
  return (
    <div class="camera" data-testid="camera">
      {enabled ? <video ref={video} autoplay muted playsinline /> : <div class="camera-placeholder" aria-hidden="true" />}
      <div class="face-guide" aria-hidden="true" />
    </div>
  );
}
