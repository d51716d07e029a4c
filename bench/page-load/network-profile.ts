/**
 * The network a phone page is measured on, and the least time a page can take on it.
 * Chrome DevTools' "slow 4G" preset: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
 */
export interface NetworkProfile {
  name: string;
  roundTripMs: number;
  downloadBitsPerSecond: number;
  uploadBitsPerSecond: number;
}

export const SLOW_4G: NetworkProfile = { name: 'slow 4G', roundTripMs: 150, downloadBitsPerSecond: 1.6e6, uploadBitsPerSecond: 750e3 };

/** The profile as CDP's `Network.emulateNetworkConditions` takes it (throughputs in bytes per second). */
export function cdpNetworkConditions(profile: NetworkProfile) {
  return {
    offline: false,
    latency: profile.roundTripMs,
    downloadThroughput: profile.downloadBitsPerSecond / 8,
    uploadThroughput: profile.uploadBitsPerSecond / 8,
  };
}

/**
 * The round trips a visit cannot do without, from what it actually fetched before it was usable:
 * DNS none (loopback), one to connect for each new connection, one per document hop (the page and
 * each redirect before it), one for the scripts and styles (they can all go in parallel), one for
 * the API calls (the QR code or the site facts: in parallel too), one for a QR image fetched from
 * the network (none when it is drawn in the page).
 */
export interface RoundTrips {
  connections: number;
  documentHops: number;
  subresources: number;
  apiCalls: number;
  qrImage: number;
}

export function totalRoundTrips(trips: RoundTrips): number {
  return trips.connections + trips.documentHops + trips.subresources + trips.apiCalls + trips.qrImage;
}

/** The floor: those round trips, plus every byte through the downlink (uploads are a few hundred bytes of headers: left out). */
export function floorMs(profile: NetworkProfile, trips: RoundTrips, bytesDown: number): number {
  return totalRoundTrips(trips) * profile.roundTripMs + (bytesDown * 8 * 1000) / profile.downloadBitsPerSecond;
}
