import { describe, expect, it } from 'vitest';
import { ApiError, parseRetryAfter } from '../api/client';
import { translate } from '../i18n';
import { ERROR_CODES, errorText, fieldErrorText, fieldErrorsText, waitText } from './errors';

describe('error texts', () => {
  it('has Korean and English text for every code of the contract, never the code itself', () => {
    for (const code of ERROR_CODES) {
      const err = new ApiError(400, code, 'English server text');
      for (const lang of ['ko', 'en'] as const) {
        const text = errorText(err, lang);
        expect(text, `${lang} ${code}`).not.toContain(code);
        expect(text).not.toBe('English server text');
        expect(text.length).toBeGreaterThan(5);
      }
      expect(errorText(err, 'ko')).not.toBe(errorText(err, 'en'));
      expect(errorText(err, 'ko')).toMatch(/[가-힣]/);
    }
  });
  it('falls back on the status for a code it does not know', () => {
    expect(errorText(new ApiError(404, 'HTTP_404', 'Not Found'), 'ko')).toBe(translate('ko', 'error.NOT_FOUND'));
    expect(errorText(new ApiError(502, 'HTTP_502', 'Bad Gateway'), 'en')).toBe(translate('en', 'error.INTERNAL_ERROR'));
    expect(errorText(new Error('boom'), 'ko')).toBe(translate('ko', 'common.error'));
  });
  it('says how long to wait after a 429', () => {
    expect(errorText(new ApiError(429, 'RATE_LIMITED', 'Too many', undefined, null, 30), 'ko')).toBe('시도가 너무 많습니다. 30초 후에 다시 시도해 주세요.');
    expect(errorText(new ApiError(429, 'RATE_LIMITED', 'Too many', undefined, null, 600), 'en')).toBe('Too many attempts. Try again in 10 minutes.');
    expect(waitText('en', 91)).toContain('2 minutes');
    expect(waitText('en', null)).toBe(translate('en', 'error.RATE_LIMITED'));
  });
  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
  });
  it('says the server field problems again in the language, without the field name', () => {
    expect(fieldErrorText('name must be 1 to 100 characters', 'ko')).toBe('1~100자로 입력해 주세요.');
    expect(fieldErrorText('name must be 1 to 100 characters', 'en')).toBe('Use 1 to 100 characters.');
    expect(fieldErrorText('password must be at least 8 characters', 'ko')).toBe('8자 이상 입력해 주세요.');
    expect(fieldErrorText('password is too common and easy to guess; choose another', 'ko')).toMatch(/흔해서/);
    expect(fieldErrorText('stock must be at least 0', 'ko')).toBe('0 이상을 입력해 주세요.');
    expect(fieldErrorText('Must be in the future', 'ko')).toBe('오늘 이후의 날짜를 골라 주세요.');
    expect(fieldErrorText('shipping.phone is required', 'en')).toBe('This field is required.');
    expect(fieldErrorText('No such reward on this project', 'ko')).toBe('이 값을 확인해 주세요.');
    expect(fieldErrorText('No such reward on this project', 'en')).toBe('No such reward on this project');
    const err = new ApiError(400, 'VALIDATION_ERROR', 'Validation failed', [{ field: 'title', message: 'title is required' }]);
    expect(fieldErrorsText(err, 'ko')).toEqual({ title: '필수 항목입니다.' });
    expect(errorText(err, 'ko')).toBe(translate('ko', 'error.VALIDATION_ERROR.fields'));
  });
});
